"""The same three views as our example (examples/djust-example/src/views/), written for djust.

Rows uses the same xorshift64* labels, so both servers send the same table.
"""
from djust import LiveView
from djust.decorators import event_handler

MASK = (1 << 64) - 1
ADJECTIVES = (
    "pretty large big small tall short long handsome plain quaint clean elegant easy angry "
    "crazy helpful mushy odd unsightly adorable important inexpensive cheap expensive fancy"
).split()
COLOURS = "red yellow blue green pink brown purple brown white black orange".split()
NOUNS = "table chair house bbq desk car pony cookie sandwich burger pizza mouse keyboard".split()


class HomeView(LiveView):
    """A static page with <main>."""

    template_name = "home.html"
    login_required = False

    def mount(self, request, **kwargs):
        pass


class CounterView(LiveView):
    """Increment and decrement by a step."""

    template_name = "counter.html"
    login_required = False

    def mount(self, request, **kwargs):
        self.count = 0
        self.step = 1
        self.error = None

    @event_handler()
    def increment(self, **kwargs):
        self.count += self.step

    @event_handler()
    def decrement(self, **kwargs):
        self.count -= self.step


class RowsView(LiveView):
    """The js-framework-benchmark operations on a keyed table (starts empty, like ours)."""

    template_name = "rows.html"
    login_required = False

    def mount(self, request, **kwargs):
        self.rows = []
        self.selected = None
        self._next_id = 0
        self._seed = 0x9E3779B97F4A7C15

    def _random(self, below):
        s = self._seed
        s ^= (s << 13) & MASK
        s ^= s >> 7
        s ^= (s << 17) & MASK
        self._seed = s
        return (((s * 0x2545F4914F6CDD1D) & MASK) >> 33) % below

    def _build(self, count):
        out = []
        for _ in range(count):
            self._next_id += 1
            a = ADJECTIVES[self._random(len(ADJECTIVES))]
            c = COLOURS[self._random(len(COLOURS))]
            n = NOUNS[self._random(len(NOUNS))]
            out.append({"id": self._next_id, "label": f"{a} {c} {n}"})
        return out

    @event_handler()
    def create(self, **kwargs):
        self.rows = self._build(1000)
        self.selected = None

    @event_handler()
    def append(self, **kwargs):
        self.rows = self.rows + self._build(1000)

    @event_handler()
    def update_every_10th(self, **kwargs):
        """Toggles " !!!" on every 10th label, so repeated runs keep a constant cost."""
        rows = [dict(r) for r in self.rows]
        for r in rows[::10]:
            label = r["label"]
            r["label"] = label[:-4] if label.endswith(" !!!") else label + " !!!"
        self.rows = rows

    @event_handler()
    def swap_rows(self, **kwargs):
        rows = list(self.rows)
        n = len(rows)
        if n > 998:
            rows[1], rows[998] = rows[998], rows[1]
        elif n > 2:
            rows[1], rows[n - 2] = rows[n - 2], rows[1]
        self.rows = rows

    @event_handler()
    def select(self, id=None, **kwargs):
        self.selected = int(id)

    @event_handler()
    def remove(self, id=None, **kwargs):
        self.rows = [r for r in self.rows if r["id"] != int(id)]

    @event_handler()
    def clear(self, **kwargs):
        self.rows = []
        self.selected = None
