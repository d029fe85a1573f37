# The two commands of the README, and the README's screenshots.
.PHONY: demo test screenshots

demo:
	bash tools/demo.sh

test:
	bash tools/test.sh

screenshots:
	bash tools/screenshots.sh
