"""``python -m greentrade.demo [root] [--force]``: write the synthetic demo sources."""

from greentrade.demo.generate import main

raise SystemExit(main())
