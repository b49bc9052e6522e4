from flask import Flask, session

app = Flask(__name__)
app.secret_key = "PLANTED-s3cr3t-VALUE-7f1d"
