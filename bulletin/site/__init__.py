"""The web edition: a page per issue, an index by year, an Atom feed, a sitemap, a PDF of each
issue and the calendar files of every dated item, all made from the models, as the email is.
"""
