"""E-mail from the contest: an outbox written with each event, an SMTP sender, a worker and the messages."""
