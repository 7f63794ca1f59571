"""Small invented articles for the copies tests (no real news text)."""

ORIGINAL = """The harbour authority of Velmora said on Tuesday that the northern pier would close for six weeks after inspectors found cracks in its concrete supports.

Director Anselm Korvak told reporters that ferries to the islands would move to the southern terminal, adding that no passenger had been hurt.

"We would rather lose a season than lose a life," Korvak said, standing beside the fenced-off pier.

Local traders warned that the closure could cost the town 2,400 jobs during the summer months, when tourists fill the old market.

The regional council will vote next week on emergency funds for the repairs, which engineers estimate at 14 million euros."""

# A republished version: dateline boilerplate, one word swapped, a name respelled,
# scare quotes, a number qualified, an added sentence and the usual footer.
COPY = """Coastal Wire - The harbour authority of Velmora said on Tuesday that the northern pier would shut for six weeks after inspectors found cracks in its concrete supports.

Director Anselm Korvac told reporters that ferries to the islands would move to the southern terminal, adding that no passenger had been hurt.

"We would rather lose a season than lose a life," Korvac said, standing beside the fenced-off pier.

Local traders warned that the ‘closure’ could cost the town 2,400 jobs and more during the summer months, when tourists fill the old market.

The regional council will vote next week on emergency funds for the repairs, which engineers estimate at 14 million euros. Opposition members have demanded an inquiry into how the cracks went unnoticed for years.

All rights reserved."""

# Partial reuse: two paragraphs of ORIGINAL inside an outlet's own report.
PARTIAL = """Fishermen in the bay gathered at dawn on Wednesday to protest against new quotas that they say will empty their nets before the autumn.

Director Anselm Korvak told reporters that ferries to the islands would move to the southern terminal, adding that no passenger had been hurt.

The protest leader, a trawler captain named Idris Balou, said his crew had lost half its income since spring and that younger sailors were leaving for the cities.

Local traders warned that the closure could cost the town 2,400 jobs during the summer months, when tourists fill the old market.

Police watched from a distance and no arrests were made, according to a spokesman for the prefecture."""

# The same event written independently: same names and numbers, different words.
INDEPENDENT = """Velmora's northern pier is shutting down for a month and a half. Structural engineers discovered fractures beneath the deck during a routine survey last week.

Anselm Korvak, who runs the port, insisted safety came first and confirmed that island ferries will dock at the southern terminal instead.

Shopkeepers near the old market fear the loss of up to 2,400 seasonal jobs. Councillors meet next week to discuss a repair bill put at 14 million euros."""

UNRELATED = """A rare comet will pass close enough to be seen with the naked eye from the southern hemisphere next month, astronomers at the Quillon observatory said.

The icy visitor last came near the sun some three thousand years ago and is expected to be brightest in the hours before dawn on the twelfth.

Amateur observers are advised to find a dark site away from city lights and to let their eyes adjust for at least twenty minutes."""
