var { RedisStore } = require('connect-redis');
var { createClient } = require('redis');

if (!process.env.SESSION_SECRET) throw new Error('SESSION_SECRET is not set');

var client = createClient({ url: process.env.SESSION_STORE_URL });
client.connect().catch(console.error);

module.exports = {
  store: new RedisStore({ client: client }),
  secret: process.env.SESSION_SECRET,
  resave: false,
  saveUninitialized: false,
  cookie: {
    secure: process.env.NODE_ENV === 'production',
    sameSite: 'lax',
    maxAge: 1000 * 60 * 60 * 24,
  },
};
