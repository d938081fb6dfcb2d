"""bulletin: a safeguarding partnership's email bulletin, from YAML to Mailchimp."""

__version__ = "0.1.0"
