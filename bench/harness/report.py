"""Summaries (median of per-round ratios, ours against each peer) and the Markdown table."""
import statistics

from harness.plan import METRICS

# The sides ours is compared with, in the order of the table's columns.
PEER_ORDER = ("djust", "floor", "dioxus")


def _versus(ours, theirs, better, goal):
    """ours against one peer: median of the per-round ratios ours/peer, spread, goal."""
    ratios = [o / t for o, t in zip(ours, theirs) if t]
    if not ratios:
        return None
    row = {"value": statistics.median(theirs), "rounds": theirs, "ratios": ratios,
           "ratio": statistics.median(ratios), "ratio_min": min(ratios), "ratio_max": max(ratios)}
    lo, hi = sorted((row["ratio_min"], row["ratio_max"]))
    row["noisy"] = lo > 0 and hi / lo > 1.25
    if goal is not None:
        row["goal"] = f"≤ {goal}×" if better == "lower" else f"≥ {goal}×"
        row["met"] = row["ratio"] <= goal if better == "lower" else row["ratio"] >= goal
    return row


def summarize(raw):
    """raw: {metric: {side: [one value per round]}} -> one summary per metric."""
    out = {}
    for name, m in METRICS.items():
        sides = raw.get(name)
        if not sides or not sides.get("ours"):
            continue
        ours = sides["ours"]
        row = {"scenario": m.scenario, "what": m.what, "unit": m.unit, "better": m.better,
               "ours": statistics.median(ours), "ours_rounds": ours, "peers": {}}
        for peer in PEER_ORDER:
            versus = _versus(ours, sides.get(peer, []), m.better, m.goals.get(peer))
            if versus:
                row["peers"][peer] = versus
        met = [p["met"] for p in row["peers"].values() if "met" in p]
        if m.absolute is not None:
            row["absolute_goal"] = f"ours ≤ {m.absolute} {m.unit}"
            met.append(row["ours"] <= m.absolute)
        if met:
            row["met"] = all(met)
        out[name] = row
    return out


def fmt(v):
    if v >= 100:
        return f"{v:,.0f}"
    return f"{v:.1f}" if v >= 10 else f"{v:.2f}"


def ratio_text(versus):
    r = versus["ratio"]
    text = f"{r:.3f}×" if r < 1 else f"{r:.2f}×"
    spread = f" ({versus['ratio_min']:.3g}–{versus['ratio_max']:.3g})"
    return text + spread + (" noisy" if versus.get("noisy") else "")


def goals_text(row):
    goals = [f"{peer} {v['goal']}" for peer, v in row["peers"].items() if "goal" in v]
    if "absolute_goal" in row:
        goals.append(row["absolute_goal"])
    return "; ".join(goals)


def markdown(summary, reliability, env):
    peers = [p for p in PEER_ORDER if any(p in row["peers"] for row in summary.values())]
    head = "| | metric | ours |" + "".join(f" {p} | ours/{p} |" for p in peers) + " goal | met |"
    lines = [
        f"### Ours vs {', '.join(peers) or 'nobody'} ({env.get('djust', '')}) — "
        f"{env['mode']} run, {env['date']}",
        "",
        f"Machine: {env['cpu']}, {env['cores']} cores, kernel {env['kernel']}, {env['rustc']}; "
        f"server pinned to core 0, ws-load to core 1: {env['pinned']}; "
        f"load average before/after: {env['load_before']} / {env['load_after']}; "
        f"rounds: {env['rounds']}; commit {env['commit']}. Ratios: median of the per-round "
        "ratios (min–max); `floor` is a bare actix-web/actix-ws server sending the same bytes.",
        "",
        head,
        "|---|---|---:|" + "---:|---|" * len(peers) + "---|---|",
    ]
    for row in summary.values():
        unit = row["unit"]
        cells = ""
        for peer in peers:
            versus = row["peers"].get(peer)
            cells += (f" {fmt(versus['value'])} {unit} | {ratio_text(versus)} |" if versus
                      else " — | — |")
        met = {True: "yes", False: "**no**"}.get(row.get("met"), "")
        lines.append(f"| {row['scenario']} | {row['what']} | {fmt(row['ours'])} {unit} |"
                     f"{cells} {goals_text(row)} | {met} |")
    if reliability:
        lines += ["", "Reliability (ours only):", "",
                  "| | test | result | criterion | pass |", "|---|---|---|---|---|"]
        for r in reliability:
            lines.append(f"| {r['id']} | {r['what']} | `{r['line']}` | {r['criterion']} | "
                         f"{'yes' if r['pass'] else '**no**'} |")
    return "\n".join(lines) + "\n"
