"""Account email: the messages, and the outbox that sends them off the request path."""
