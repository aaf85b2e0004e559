"""Queries: read models of cases (snapshots, lists, the inbox, the case page, history, reports).

Every query applies the policy's visibility and sealing for its viewer.
"""
