"""Demo content for the blog app, from the facts in the seed documents."""


def load():
    pass
