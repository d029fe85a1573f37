# The two commands of the README.
.PHONY: demo test

demo:
	bash tools/demo.sh

test:
	bash tools/test.sh
