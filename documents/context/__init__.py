"""Pure context builders: case snapshots, history and people in, template dicts out.

Nothing here touches the database or the renderer; ``documents.gather`` reads the
engine and hands the plain inputs to these functions.
"""
