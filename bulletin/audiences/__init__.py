"""Who receives the bulletin: Mailchimp's audiences kept in line with audiences.yaml, partners'
members CSVs imported, and the suppression list (fed by pulls and webhooks) that keeps anyone
who said no from being mailed again. The files here hold personal data; they stay local."""
