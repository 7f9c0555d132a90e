"""myplan: continuous Personal Improvement Plans in Slack."""
