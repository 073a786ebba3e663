"""Demo content for the partnerships app, from the facts in the seed documents."""


def load():
    pass
