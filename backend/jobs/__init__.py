"""Background work on RQ. Job functions are thin: load the row, call a service, save.

Services never import job modules: they call `backend.jobs.queue.enqueue(name, id)`
with a name declared in `backend.jobs.specs`.
"""
