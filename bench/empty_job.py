"""The empty RQ job of the queue ceiling, alone in a module that imports nothing:
a forking worker imports the job's module in every work horse."""


def nothing() -> None:
    return None
