"""Stage 4, output: rendered files reach the output folder, all at once or not at all."""
