var express = require('express');
var cookieParser = require('cookie-parser');
var logger = require('morgan');
var session = require('express-session');
var sessionConfig = require('./config/session');

var indexRouter = require('./routes/index');

var app = express();
// nginx on this host ends TLS; only it may set X-Forwarded-Proto and -For.
app.set('trust proxy', 'loopback');

app.use(logger('dev'));
app.use(express.json());
app.use(express.urlencoded({ extended: false }));
app.use(cookieParser());
app.use(session(sessionConfig));

app.use('/', indexRouter);

module.exports = app;
