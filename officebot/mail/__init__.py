"""Mailing the drafted letters (``officebot mail``), in modules that import downwards only:

- ``addresses``: addresses, case ids as Excel shows them, header text, phones as written;
- ``ledger``: the mail journal (what happened to each letter's message);
- ``status``: the register's 函件发送 column and 函件登记 sheet from the journal;
- ``recovery``: the journal rebuilt from the register's column;
- ``letter_text``, ``message``: a letter as an e-mail a phone shows in full;
- ``transport``: SMTP and IMAP;
- ``plan``: which letters go now, one message per customer;
- ``post``: the day's post in one PDF;
- ``report``: what the clerk reads;
- ``run``: the run itself (it is given the batch to run: the batch stands above mail).
"""
