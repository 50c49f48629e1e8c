# KubeHa bench: a stdout callback that prints the whole playbook run as one JSON document, using only ansible-core
# (the "json" stdout callback lives in the community.general collection, which a fresh ansible-core install lacks).
# Shape: {"plays": [{"play": {"name"}, "tasks": [{"task": {"name"}, "hosts": {HOST: RESULT}}]}], "stats": {HOST: {...}}}
# RESULT is the module's result as the host returned it (for a loop: "results", each item with start/end/delta, rc,
# stderr, failed), or for an unreachable host {"unreachable": true, "msg": ...}.
from __future__ import annotations

import json

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = '''
    name: kubeha_json
    type: stdout
    short_description: the playbook run as one JSON document (KubeHa bench)
    description: Prints plays, tasks and every host's result as JSON when the playbook ends.
'''


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'stdout'
    CALLBACK_NAME = 'kubeha_json'

    def __init__(self):
        super().__init__()
        self.plays = []

    def v2_playbook_on_play_start(self, play):
        self.plays.append({'play': {'name': play.get_name()}, 'tasks': []})

    def v2_playbook_on_task_start(self, task, is_conditional):
        self.plays[-1]['tasks'].append({'task': {'name': task.get_name()}, 'hosts': {}})

    def _record(self, result, **extra):
        host = result._host.get_name()
        data = dict(result._result)
        data.update(extra)
        # The module's arguments (a script's stdin may carry the run's join token) and duplicated output stay out.
        for item in [data] + list(data.get('results') or []):
            if isinstance(item, dict):
                for key in ('invocation', 'stdout_lines', 'stderr_lines'):
                    item.pop(key, None)
        task = result._task.get_name()
        # Tasks of a play run in order; a result belongs to the latest task of that name.
        for entry in reversed(self.plays[-1]['tasks']):
            if entry['task']['name'] == task:
                entry['hosts'][host] = data
                return

    def v2_runner_on_ok(self, result, **kwargs):
        self._record(result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record(result, failed=True)

    def v2_runner_on_unreachable(self, result):
        self._record(result, unreachable=True)

    def v2_runner_on_skipped(self, result):
        self._record(result, skipped=True)

    def v2_playbook_on_stats(self, stats):
        summary = {h: stats.summarize(h) for h in sorted(stats.processed.keys())}
        self._display.display(json.dumps({'plays': self.plays, 'stats': summary}, sort_keys=True, default=str))
