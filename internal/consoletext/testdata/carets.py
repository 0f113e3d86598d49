data = {"rig": {"camera": None}}
def exposure(d):
    return d["rig"]["camera"]["exposure"] * 2
exposure(data)
