"""How `make run` serves Groundwork under gunicorn; the load tests and benchmarks serve it the same way.

    gunicorn -c python:app.gunicorn_conf 'app:create_app()'

Two worker processes with four threads each suit a 2-core machine: PDF
renders run in `groundwork worker` processes (app/reports/queue.py), so a
thread only ever waits on the database or the network.
"""

import os

bind = f"127.0.0.1:{os.environ.get('PORT', '5000')}"
workers = int(os.environ.get("GROUNDWORK_WORKERS", "2"))
threads = int(os.environ.get("GROUNDWORK_THREADS", "4"))
#: Where each request is logged: "-" (standard output, the default) or a file; "off" logs none.
accesslog = None if os.environ.get("GROUNDWORK_ACCESS_LOG") == "off" else os.environ.get("GROUNDWORK_ACCESS_LOG", "-")
#: Long enough for a section save waiting on a busy database, short enough to free a stuck worker.
timeout = 60
