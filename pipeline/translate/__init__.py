"""The translate batch: plan each page (whole or merged into its counterpart), translate
the needed segments together, render, verify and write."""
