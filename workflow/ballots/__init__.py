"""Ballots on a case: 民主推荐, 民主测评 and 表决, voted on a phone with one-time codes, or by name.

What is stored, and why a choice cannot be traced to its voter
---------------------------------------------------------------
* A code exists in clear only on its printed slip. The database keeps HMAC-SHA256 under the
  instance key (which is not in the database) and a used-mark (``ballot_codes``); until the
  first vote the slips are also kept sealed under that key so they can be printed, and that
  sealed copy is erased by the first vote (or by closing).
* A cast ballot is a row of ``ballot_box`` with a random id and the choices, options in the
  ballot's own order (the order a voter clicked cannot mark a ballot). Its receipt is a row of
  ``ballot_receipts``, not linked to the content. Neither table, nor the used-mark, has a time
  column, a code, a user, an address, or an autoincrement number (SQLite: WITHOUT ROWID tables
  keyed by random values, so not even the hidden rowid records arrival order).
* ``POST /vote`` needs no account, so the request names nobody. No body is logged: the engine
  logs nothing for a vote, and the app writes no access log. Failed code attempts are counted
  per address (throttling), successful ones are not; the counter holds no choice.
* At closing the box, the receipts and the used-marks of the ballot are rewritten in canonical
  order (new random box ids), and the history gets the tally and the box hash only.

What someone holding the database and the logs can still learn
----------------------------------------------------------------
* Counts and timing at coarse grain: how many have voted so far (used-marks) while the ballot
  is open, when it was opened and closed (history), and from a reverse proxy's access log the
  times and addresses of the requests to ``/vote``; with a QR code ``/vote?code=...`` the code
  is in the URL a proxy may log: configure it to log paths without query strings.
* While a ballot is open, the storage engine itself orders writes: PostgreSQL stamps each row
  with the id of the transaction that wrote it (``xmin``), so the used-mark of a code and the
  box row written with it share a transaction id, and the WAL of either database holds pages in
  commit order. Someone who reads those, knows which code a given voter received, and has the
  instance key, can link that voter to a choice. Closing rewrites the rows (one transaction id
  for all), but dead tuples, WAL segments and backups taken while open keep the old order until
  vacuumed, recycled or discarded.
* With the instance key and the printed slips (or the sealed copy before the first vote) one
  can tell used from unused codes, hence who did not vote if slips were handed out by name.

Why this is the best this design can do: the one guarantee a ballot needs beyond secrecy is
that a code counts once and an acknowledged vote is never lost, which requires marking the code
and storing the choice atomically in one durable transaction; any single database that commits
them together records, at its lowest layer, that they were written together. Breaking that link
would need a second party (a mix or a blind-signature issuer) that the deployment does not have.
What the design ensures is that no column, key or log line links them, that the distribution of
slips (shuffled, handed out like paper ballots) is what decides who holds which code, and that
after closing the live tables keep no trace of arrival.
"""
