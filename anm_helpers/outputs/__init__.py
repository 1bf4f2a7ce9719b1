"""The output registry and each output: the deck, the PDF, the PowerPoint and its
template, the open data. Imports the layers below."""
