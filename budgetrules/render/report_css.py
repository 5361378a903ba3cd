"""The stylesheet of the HTML report, inline in the page: the screen, and the print (A4 landscape, the
findings' message wide enough to read, every <details> open, breaks between rows, never inside one)."""
from __future__ import annotations

SCREEN = """
:root { --ink:#1d1d1f; --muted:#5b5b66; --rule:#d0d4dc; --head:#1f4e79; --section:#ddebf7; --sub:#f2f4f7;
        --total:#bdd7ee; --error:#f8cbad; --warning:#ffe699; --info:#ddebf7; --neg:#b3261e; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif; color: var(--ink);
       margin: 0; background: #fff; font-size: 14px; line-height: 1.4; }
header, main, footer { max-width: 1400px; margin: 0 auto; padding: 0 20px; }
header { padding-top: 18px; border-bottom: 3px solid var(--head); padding-bottom: 10px; }
h1 { font-size: 24px; margin: 0 0 4px; color: var(--head); }
h2 { font-size: 20px; margin: 32px 0 8px; color: var(--head); border-bottom: 1px solid var(--rule); padding-bottom: 4px; }
h3 { font-size: 16px; margin: 22px 0 6px; }
p.sub { margin: 0; color: var(--muted); }
nav ul { list-style: none; padding: 0; margin: 8px 0 0; display: flex; flex-wrap: wrap; gap: 4px 16px; }
nav a { color: var(--head); }
.badges { margin: 10px 0 0; display: flex; gap: 8px; flex-wrap: wrap; }
.badge { padding: 2px 10px; border-radius: 10px; font-weight: bold; font-size: 13px; }
.badge.error { background: var(--error); } .badge.warning { background: var(--warning); }
.badge.info { background: var(--info); }
table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; font-size: 13px; }
th, td { padding: 3px 8px; border-bottom: 1px solid #eceef2; vertical-align: top; text-align: left; }
thead th { background: var(--head); color: #fff; font-weight: bold; position: sticky; top: 0; }
th.num, td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
td.neg { color: var(--neg); }
td.code { white-space: nowrap; color: var(--muted); }
tr.subtotal td { font-weight: bold; background: var(--sub); }
tr.section td { font-weight: bold; background: var(--section); }
tr.total td { font-weight: bold; background: var(--total); border-top: 2px solid var(--head); }
td.d1 { padding-left: 26px; } td.d2 { padding-left: 44px; } td.d3 { padding-left: 62px; }
td.d4 { padding-left: 80px; } td.d5 { padding-left: 98px; } td.d6 { padding-left: 116px; }
table.cog, table.detail { font-family: "Liberation Sans", Arial, Helvetica, "DejaVu Sans", sans-serif; }
table.cog { font-size: 12.5px; } table.cog th, table.cog td.num { padding: 3px 6px; }
table.cog td:nth-child(2) { min-width: 210px; }
table.cog th.block, table.cog td.block { border-left: 2px solid var(--rule); }
table.cog thead tr.blocks th { text-align: center; }
table.cog thead tr + tr th { top: 26px; }
.scroll { overflow-x: auto; max-width: 100%; }
table.detail { font-size: 11px; }
table.detail td:nth-child(2) { min-width: 170px; }
table.detail td, table.detail th { padding: 2px 5px; }
details { margin: 4px 0; }
details > summary { cursor: pointer; color: var(--head); }
.cite { color: var(--muted); font-size: 12px; margin-top: 2px; }
.cite .src { display: block; } .cite .src code { font-size: 11.5px; }
td.sev { white-space: nowrap; font-weight: bold; }
table.findings { table-layout: fixed; }
table.findings col.sev { width: 125px; } table.findings col.rule { width: 200px; }
table.findings col.fund { width: 62px; } table.findings col.year { width: 56px; }
table.findings col.line { width: 104px; } table.findings col.amount { width: 130px; }
table.findings td { overflow-wrap: anywhere; }
table.carry, table.beyond { font-size: 12.5px; }
tr.sev-error td.sev { background: var(--error); } tr.sev-warning td.sev { background: var(--warning); }
tr.sev-info td.sev { background: var(--info); }
figure { margin: 12px 0 18px; }
figcaption { font-weight: bold; font-size: 14px; margin: 0 0 4px; }
svg.chart { max-width: 100%; height: auto; display: block; }
.waterfalls { display: flex; flex-wrap: wrap; gap: 8px 16px; }
.waterfalls figure { flex: 0 1 400px; margin: 6px 0; }
.note { color: var(--muted); font-style: italic; }
footer { color: var(--muted); font-size: 12px; padding: 24px 20px 32px; }
"""

# Printed: A4 landscape, whose 279 mm between the margins hold a fund in the COG's form (code, label, then the
# authorised, executed and available credits of each year: nine amounts a row) at 9.5 px in Arial's metrics
# (Liberation Sans, Arial, Helvetica; in a wider face chromium shrinks the page to fit). The findings keep their
# message column at about half the width; every <details> (the build-up of each year) is printed open
# (::details-content: chromium 131 and later); a heading stays with what follows it; a row, a chart or a finding
# is never cut by a page break; table heads repeat on each page; the charts at 75 %, the waterfalls side by side.
PRINT = """
@page { size: A4 landscape; margin: 9mm 9mm 10mm; }
@media print {
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { font-family: "Liberation Sans", Arial, Helvetica, "DejaVu Sans", sans-serif; font-size: 10.5px;
         line-height: 1.2; }
  header, main, footer { max-width: none; padding-left: 0; padding-right: 0; }
  header { padding-top: 0; padding-bottom: 4px; }
  nav { display: none; }
  h1 { font-size: 17px; }
  h2 { font-size: 14px; margin: 12px 0 4px; break-after: avoid; }
  h3 { font-size: 12px; margin: 8px 0 3px; break-after: avoid; }
  p.note { margin: 2px 0 4px; break-after: avoid; }
  table { font-size: 10px; margin: 2px 0 6px; }
  th, td { padding: 0 3px 1px; }
  thead { display: table-header-group; }
  thead th { position: static; }
  tr { break-inside: avoid; }
  .scroll { overflow: visible; }
  table.detail { font-size: 9.5px; }
  table.carry, table.beyond, table.reserve { font-size: 10px; }
  table.detail td:nth-child(2), table.cog td:nth-child(2) { min-width: 0; }
  table.cog { font-size: 9.5px; } table.cog th, table.cog td.num { padding: 0 2px 1px 3px; }
  td.d1 { padding-left: 12px; } td.d2 { padding-left: 20px; } td.d3 { padding-left: 28px; }
  td.d4 { padding-left: 36px; } td.d5 { padding-left: 44px; } td.d6 { padding-left: 52px; }
  details::details-content { content-visibility: visible; display: block; }
  details > summary { list-style: none; font-weight: bold; color: var(--head); margin-top: 6px; break-after: avoid; }
  details > summary::-webkit-details-marker { display: none; }
  table.findings { font-size: 10px; }
  table.findings col.sev { width: 78px; } table.findings col.rule { width: 138px; }
  table.findings col.fund { width: 46px; } table.findings col.year { width: 38px; }
  table.findings col.line { width: 84px; } table.findings col.amount { width: 88px; }
  .cite { font-size: 9px; } .cite .src { display: inline; } .cite .src code { font-size: 9px; }
  .cite .src::before { content: "· "; } .cite .src.alone::before { content: none; }
  figure { margin: 4px 0 8px; break-inside: avoid; }
  figure > svg.chart { width: 75%; }
  figcaption { font-size: 11px; }
  .waterfalls { gap: 4px 12px; flex-wrap: nowrap; }
  .waterfalls figure { flex: 1 1 0; min-width: 0; }
  .waterfalls figure > svg.chart { width: 100%; }
  footer { padding: 8px 0 0; }
}
"""

CSS = SCREEN + PRINT
