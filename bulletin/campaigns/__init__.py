"""An issue's campaign in Mailchimp: what the issue wants it to be, pushing it (never a second
one), test sends, schedules and sends (each at most once), where each issue stands, the local
ledger, send times and targeting."""
