"""A partnership's answers to `bulletin init`, as options, for the tests that make a project."""

INIT_ANSWERS = [
    "--name",
    "Hollinvale Safeguarding Partnership",
    "--short-name",
    "HSP",
    "--website",
    "https://www.hollinvale-partnership.org.uk/",
    "--reply-to",
    "bulletin@hollinvale-partnership.org.uk",
    "--address",
    "The Old Library, Mill Street",
    "--address",
    "Hollinvale HV1 2AB",
]
