"""Small reusable widgets that pages (e.g. the 首页 dashboard) can drop in."""
