"""The staff's pages: server-rendered Jinja2, a little vanilla JS, our own CSS."""
