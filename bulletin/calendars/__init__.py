"""Every dated thing in an issue as a calendar entry: events and their sessions, courses,
webinars, forum and diary dates. The email's "Add to calendar" links and the web edition's
`.ics` files are made from these entries, which are made from the models alone."""
