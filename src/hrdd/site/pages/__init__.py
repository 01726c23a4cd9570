"""Page data: for each kind of page, a view model (plain data) and the template it goes to.

Python computes what a page shows; the templates in the theme layer (``hrdd.site.templates``)
decide how it is written. A view model holds text, numbers, flags and relative links, never HTML
(an SVG chart hrdd draws is the one kind of markup passed, marked safe where it is drawn).
"""
