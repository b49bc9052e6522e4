/**
 * When a tree-sitter parse is stopped.
 *
 * tree-sitter recovers from a syntax error by trying alternatives, and on text that is errors from
 * end to end that work grows: 16 times an ordinary file's time for a megabyte of `a:b a:b` in
 * Python, and quadratic in the JavaScript grammar (64 KB of `a:b ` takes 80 s). Nothing tree-sitter
 * counts tracks that work: its operations cost 14 µs each on ordinary code and 7 ms on that, its
 * reads of the text do not grow with it, and the `hasError` of its progress state is set only
 * while every stack version is in error, which the hostile texts leave between two checks.
 *
 * So a parse is judged by its pace, as editors built on tree-sitter time-limit their parses
 * (Neovim, Helix, Zed), in the process's CPU time (a parse the scheduler set aside is not slow),
 * but a slow pace alone never refuses a text: a megabyte of valid code goes at 2 to 3 times the
 * pace of the 32 KB sample it is measured against (its tree no longer fits the caches), and at 5
 * times in a process's first large parse (fresh memory). A stretch of FLOOR_MS slower than
 * ALLOWANCE times the sample's pace is probed: the parse resumes for PROBE_CHECKS progress checks
 * (a few hundred tokens) with tree-sitter's log on, and the stretch is a strike when that meets
 * PROBE_ERRORS error recoveries and it is still too slow against the pace measured again then (a
 * slowed machine slows ordinary text as much). STRIKES in a row refuse the text. Valid text,
 * however slow the machine, is never refused. Density alone is no sign either: an unclosed `"""` turns
 * the rest of a module into recoveries as dense as any hostile text, and parses as fast as the
 * module itself.
 */

/** A parse is judged in stretches of this long: what 200 KB of ordinary code takes. */
export const FLOOR_MS = 100;
/** How many times slower than the ordinary sample a stretch may go before it is probed. */
export const ALLOWANCE = 3;
/** The progress checks (each 100 parse operations) a probe lasts. */
export const PROBE_CHECKS = 20;
/** The syntax errors within a probe that make a slow stretch a strike. */
export const PROBE_ERRORS = 3;
/**
 * The strikes in a row that refuse a text: one slow stretch can be the machine's doing (a
 * garbage collection, memory touched for the first time) with an ordinary syntax error under the
 * probe; hostile text is slow and dense stretch after stretch.
 */
export const STRIKES = 2;
/** The size of the ordinary text the pace is measured on. */
const SAMPLE_SIZE = 32 * 1024;

/** Whether a stretch of a parse has run long enough to be judged. */
export function overFloor(elapsedMs: number): boolean {
  return elapsedMs >= FLOOR_MS;
}

/** Whether a stretch that took `elapsedMs` over `characters` is slower than the allowance. */
export function tooSlow(elapsedMs: number, characters: number, msPerCharacter: number): boolean {
  return elapsedMs > ALLOWANCE * msPerCharacter * Math.max(characters, 1);
}

/** Ordinary code of each grammar, repeated to SAMPLE_SIZE to measure the parser's speed. */
export const ORDINARY_SAMPLES = {
  python: `class ProductionConfig(Config):
    """Settings the production deployment reads."""

    SECRET_KEY = os.environ["SECRET_KEY"]
    SESSION_COOKIE_SECURE = True
    PERMANENT_SESSION_LIFETIME = timedelta(days=7)


@app.route("/cart/<int:item_id>", methods=["POST"])
def add_to_cart(item_id: int) -> str:
    cart = session.setdefault("cart", [])
    if item_id not in cart:
        cart.append(item_id)
    session.modified = True
    return render_template("cart.html", items=[lookup(i) for i in cart], total=len(cart))

`,
  javascript: `const session = require('express-session');

app.use(
  session({
    secret: process.env.SESSION_SECRET,
    cookie: { secure: true, sameSite: 'lax', maxAge: 7 * 24 * 3600 * 1000 },
    resave: false,
  }),
);

app.post('/cart/:id', async (req, res) => {
  const cart = req.session.cart ?? [];
  if (!cart.includes(req.params.id)) cart.push(req.params.id);
  req.session.cart = cart;
  res.render('cart', { items: cart.map((id) => lookup(id)), total: cart.length });
});

`,
  typescript: `interface CartSession {
  cart?: string[];
}

export function configure(app: Express, secret: string | undefined): void {
  app.use(session({ secret: secret ?? fail('SESSION_SECRET'), cookie: { secure: true } }));
}

app.post('/cart/:id', async (req: Request, res: Response): Promise<void> => {
  const data = req.session as CartSession;
  const cart: string[] = data.cart ?? [];
  if (!cart.includes(req.params.id)) cart.push(req.params.id);
  res.json({ items: cart.map((id) => lookup(id)), total: cart.length });
});

`,
  toml: `[project]
name = "shop"
version = "1.4.2"
dependencies = ["flask>=3.0", "waitress==3.0.0", "flask-login"]

[tool.ruff]
line-length = 100
select = ["E", "F", "S"]

[[tool.poetry.source]]
name = "internal"
url = "https://pypi.example.com/simple"

`,
} as const;

/** Repeats a grammar's sample to the measured size. */
export function ordinaryText(sample: string): string {
  return sample.repeat(Math.ceil(SAMPLE_SIZE / sample.length));
}
