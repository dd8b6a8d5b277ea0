"""The yardstick: a Flask app with one trivial route, served exactly as the portal is."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "Hello"
