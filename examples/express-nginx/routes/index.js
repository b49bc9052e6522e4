var express = require('express');
var router = express.Router();

router.post('/login', function (req, res) {
  req.session.user = req.body.user;
  res.redirect('/');
});

// Who the session says, and what the app believes about the request.
router.get('/', function (req, res) {
  res.json({ user: req.session.user || null, secure: req.secure, ip: req.ip });
});

module.exports = router;
