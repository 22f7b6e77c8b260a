"""knowledge: the knowledge base (FAQ articles, news, portal help), searched in French and English."""
