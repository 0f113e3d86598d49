import json
def load(text):
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise ValueError("bad config") from e
load("{")
