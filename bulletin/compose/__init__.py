"""An issue made into email: Jinja2 templates, Markdown, MJML to HTML, the plain-text part,
merge tags and the INTERESTED blocks of sections for some readers. It knows nothing of
Mailchimp's API: it writes text that Mailchimp fills in."""
