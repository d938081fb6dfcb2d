"""After the send: what each issue reached, section by section and by partner organisation, in
aggregate only (`bulletin report`)."""
