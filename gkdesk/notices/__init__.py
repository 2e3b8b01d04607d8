"""Notice sheets (公示单) for the 村务公开栏, rendered with reportlab (Qt-free).

``fonts`` finds an embeddable Chinese font, ``layout`` the paper, ``render`` draws the
table, ``payout``/``year_end``/``table`` build notices, ``service`` prints them and
records postings.
"""
