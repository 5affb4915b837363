"""The baseline for bench/http.py: a bare Flask hello-world, served the same way as Groundwork."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "Hello, World!"
