def parse(s):
    return int(s)
def main():
    values = {"a": "1", "b": "x"}
    return [parse(v) for v in values.values()]
main()
