"""gunicorn's settings for the web process (`gunicorn -c python:backend.gunicorn_conf`),
used by `make run` and in deployment alike.

One slow request must not starve the others: each worker serves several connections
on threads, so a slow client or a slow database call holds a thread, not the worker;
a worker that stops answering its master for `timeout` seconds is killed and
replaced; request lines and headers are capped before Flask sees them.
"""

worker_class = "gthread"
threads = 4
timeout = 30
graceful_timeout = 30
keepalive = 5
limit_request_line = 4094
limit_request_fields = 60
limit_request_field_size = 8190
