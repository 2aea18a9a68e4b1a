"""Summaries (median of per-round ratios) and the Markdown table."""
import statistics

from harness.plan import METRICS


def summarize(raw):
    """raw: {metric: {"ours": [..], "djust": [..]}} per round -> one summary per metric."""
    out = {}
    for name, (sid, what, unit, better, goal, absolute) in METRICS.items():
        sides = raw.get(name)
        if not sides or not sides.get("ours"):
            continue
        ours, djust = sides["ours"], sides.get("djust", [])
        row = {"scenario": sid, "what": what, "unit": unit, "better": better,
               "ours": statistics.median(ours), "ours_rounds": ours}
        ratios = [o / d for o, d in zip(ours, djust) if d]
        if ratios:
            row.update(djust=statistics.median(djust), djust_rounds=djust, ratios=ratios,
                       ratio=statistics.median(ratios), ratio_min=min(ratios), ratio_max=max(ratios))
            lo, hi = sorted((row["ratio_min"], row["ratio_max"]))
            row["noisy"] = lo > 0 and hi / lo > 1.25
        met = []
        if goal is not None and ratios:
            row["goal"] = f"≤ {goal}×" if better == "lower" else f"≥ {goal}×"
            met.append(row["ratio"] <= goal if better == "lower" else row["ratio"] >= goal)
        if absolute is not None:
            row["goal"] = (row.get("goal", "") + f" (ours ≤ {absolute} {unit})").strip()
            met.append(row["ours"] <= absolute)
        if met:
            row["met"] = all(met)
        out[name] = row
    return out


def fmt(v):
    if v >= 100:
        return f"{v:,.0f}"
    return f"{v:.1f}" if v >= 10 else f"{v:.2f}"


def ratio_text(row):
    if "ratio" not in row:
        return "—"
    r = row["ratio"]
    text = f"{r:.3f}×" if r < 1 else f"{r:.1f}×"
    spread = f" ({row['ratio_min']:.3g}–{row['ratio_max']:.3g})"
    return text + spread + (" noisy" if row.get("noisy") else "")


def markdown(summary, reliability, env):
    lines = [
        f"### Ours vs djust {env.get('djust', '')} — {env['mode']} run, {env['date']}",
        "",
        f"Machine: {env['cpu']}, {env['cores']} cores, kernel {env['kernel']}, {env['rustc']}; "
        f"server pinned to core 0, ws-load to core 1: {env['pinned']}; "
        f"load average before/after: {env['load_before']} / {env['load_after']}; "
        f"rounds: {env['rounds']}; commit {env['commit']}.",
        "",
        "| | metric | ours | djust | ours/djust (median of rounds; min–max) | goal | met |",
        "|---|---|---:|---:|---|---|---|",
    ]
    for row in summary.values():
        unit = row["unit"]
        djust = f"{fmt(row['djust'])} {unit}" if "djust" in row else "—"
        met = {True: "yes", False: "**no**"}.get(row.get("met"), "")
        lines.append(f"| {row['scenario']} | {row['what']} | {fmt(row['ours'])} {unit} | {djust} | "
                     f"{ratio_text(row)} | {row.get('goal', '')} | {met} |")
    if reliability:
        lines += ["", "Reliability (ours only):", "",
                  "| | test | result | criterion | pass |", "|---|---|---|---|---|"]
        for r in reliability:
            lines.append(f"| {r['id']} | {r['what']} | `{r['line']}` | {r['criterion']} | "
                         f"{'yes' if r['pass'] else '**no**'} |")
    return "\n".join(lines) + "\n"
