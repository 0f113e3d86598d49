def load():
    try:
        {}["missing"]
    except KeyError:
        raise RuntimeError("could not load config")
load()
