"""The only package that speaks to Mailchimp (the only one that imports its SDK): the client
with its retries and one-line errors, and each endpoint used, with the retry it is safe to
have."""
