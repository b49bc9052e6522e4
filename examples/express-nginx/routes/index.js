var express = require('express');
var router = express.Router();

router.post('/login', function (req, res) {
  req.session.user = req.body.user;
  res.redirect('/');
});

router.get('/', function (req, res) {
  res.send(req.session.user ? 'Hello ' + req.session.user : 'Not logged in');
});

module.exports = router;
