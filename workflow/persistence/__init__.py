"""Persistence: the models, the database (unit of work), and the SQL of every table.

``rows`` is the one write path of cases and history events; the other modules
read and write the rest. Nothing here imports the commands or the queries.
"""
