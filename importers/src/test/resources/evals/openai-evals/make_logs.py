"""Writes the OpenAI evals run logs of this folder the way evals/record.py's LocalRecorder writes them.

openai/evals at 4bfc1f58a821685acb40bb28ba54131740535046: RunSpec (evals/base.py), Event and LocalRecorder
(evals/record.py: a {"spec": ...} line, then one json line per Event, then {"final_report": ..., "run_id": ...}),
jsondumps (evals/data.py: json.dumps, ensure_ascii=False), the sample order of Eval.eval_all_samples (evals/eval.py:
random.Random(123).shuffle, sample ids "<base>.<split>.<index>", EVALS_SEQUENTIAL=1), FuzzyMatch.eval_sample
(evals/elsuite/basic/fuzzy_match.py) with evals/elsuite/utils.py's fuzzy_match and f1_score, ModelBasedClassify with
metaeval (evals/elsuite/modelgraded/classify.py: record_metrics(choice, score, metascore)), and the sampling event the
OpenAI chat completion function records (evals/completion_fns/openai.py: prompt, sampled, model, usage).

The samples are the registry's (../../corpora/openai-evals-registry); what the models answered is made up (no model
was called): fixed answers, fixed times and run ids, so the files are the same on every run. Python 3, no packages.
"""
import json
import random
import re
import string
from collections import Counter

SHUFFLE_SEED = 123


def jsondumps(o):
    return json.dumps(o, ensure_ascii=False)


def normalize(s):
    s = s.lower()
    exclude = set(string.punctuation)
    s = "".join(char for char in s if char not in exclude)
    s = re.sub(r"\b(a|an|the)\b", " ", s)
    return " ".join(s.split())


def fuzzy_match(s1, s2):
    s1, s2 = normalize(s1), normalize(s2)
    if s1 == "" or s2 == "":
        return s1 == s2
    return s1 in s2 or s2 in s1


def f1_score(prediction, answers):
    def _f1(prediction, truth):
        p, t = normalize(prediction).split(), normalize(truth).split()
        common = Counter(p) & Counter(t)
        same = sum(common.values())
        if same == 0:
            return 0.0
        precision, recall = same / len(p), same / len(t)
        return (2 * precision * recall) / (precision + recall)
    return max(_f1(prediction, a) for a in answers)


class Log:
    def __init__(self, path, spec):
        self.f = open(path, "w", encoding="utf-8", newline="\n")
        self.spec = spec
        self.events = 0
        self.f.write(jsondumps({"spec": spec}) + "\n")

    def event(self, sample_id, type, data, at):
        self.f.write(jsondumps({"run_id": self.spec["run_id"], "event_id": self.events, "sample_id": sample_id,
                                "type": type, "data": data, "created_by": "", "created_at": at}) + "\n")
        self.events += 1

    def final(self, report):
        self.f.write(jsondumps({"final_report": report, "run_id": self.spec["run_id"]}) + "\n")
        self.f.close()


def spec(eval_name, cls, args, fn, run_id, created_at, registry_path):
    return {"completion_fns": [fn], "eval_name": eval_name, "base_eval": eval_name.split(".")[0],
            "split": eval_name.split(".")[1],
            "run_config": {"completion_fns": [fn],
                           "eval_spec": {"cls": cls, "registry_path": registry_path, "args": args,
                                         "key": eval_name, "group": "test-basic"},
                           "seed": 20220722, "max_samples": None,
                           "command": "/usr/local/bin/oaieval " + fn + " " + eval_name.split(".")[0],
                           "initial_settings": {"visible": True}},
            "created_by": "", "run_id": run_id, "created_at": created_at}


def order(samples):
    indices = list(range(len(samples)))
    random.Random(SHUFFLE_SEED).shuffle(indices)
    return indices


def fuzzy(corpus):
    samples = [json.loads(l) for l in open(corpus + "/test_fuzzy_match.samples.jsonl", encoding="utf-8")]
    answers = {0: "Millie Bobby Brown", 1: "Derek died in season 12.", 2: "Evangeline Lilly plays Tauriel."}
    s = spec("test-fuzzy-match.s1.simple-v0", "evals.elsuite.basic.fuzzy_match:FuzzyMatch",
             {"samples_jsonl": "test_fuzzy_match/samples.jsonl"}, "gpt-3.5-turbo", "261206113000QZ7K4M2A",
             "2026-12-06 11:30:00.412783", "/home/user/evals/evals/registry/evals/test-basic.yaml")
    log = Log("test-fuzzy-match.log.jsonl", s)
    acc, f1s = [], []
    for n, i in enumerate(order(samples)):
        sample_id = "test-fuzzy-match.s1.%d" % i
        prompt, ideal = samples[i]["input"], samples[i]["ideal"]
        ideal = ideal if isinstance(ideal, list) else [ideal]
        sampled = answers[i]
        at = "2026-12-06 11:30:0%d.%06d+00:00" % (1 + n, 100000 + 7919 * n)
        log.event(sample_id, "sampling", {"prompt": prompt, "sampled": [sampled], "model": "gpt-3.5-turbo-0125",
                                          "usage": {"completion_tokens": len(sampled.split()) + 2,
                                                    "prompt_tokens": 61 + 3 * i, "total_tokens": 63 + 3 * i
                                                    + len(sampled.split())}}, at)
        matches = [fuzzy_match(sampled, a) for a in ideal]
        expected = ideal[0] if len(ideal) == 1 else ideal  # record_match unwraps a one-element list
        log.event(sample_id, "match", {"correct": True in matches, "expected": expected,
                                       "picked": [sampled for k in range(len(ideal)) if matches[k]]}, at)
        acc.append(float(True in matches))
        f1s.append(f1_score(sampled, ideal))
        log.event(sample_id, "metrics", {"accuracy": acc[-1], "f1_score": f1s[-1]}, at)
    log.final({"accuracy": sum(acc) / len(acc), "f1_score": sum(f1s) / len(f1s)})


def meta(corpus):
    samples = [json.loads(l) for l in open(corpus + "/test_metaeval.joke_fruits_labeled.jsonl", encoding="utf-8")]
    s = spec("joke-fruits-meta.dev.v0", "evals.elsuite.modelgraded.classify:ModelBasedClassify",
             {"samples_jsonl": "test_metaeval/joke_fruits_labeled.jsonl", "eval_type": "cot_classify",
              "modelgraded_spec": "humor", "metaeval": True}, "gpt-4o-mini", "261206113500HV3P6WQE",
             "2026-12-06 11:35:00.093114", "/home/user/evals/evals/registry/evals/test-modelgraded.yaml")
    s["run_config"]["eval_spec"]["group"] = "test-modelgraded"
    log = Log("joke-fruits-meta.log.jsonl", s)
    scores = {"Yes": 1.0, "No": 0.0, "Unsure": 0.5}
    # the grader judges the 4th boring line funny and is unsure of the last pun
    choices = {i: samples[i]["choice"] for i in range(len(samples))}
    choices[3], choices[8] = "Yes", "Unsure"
    meta_scores, counts = [], Counter()
    for n, i in enumerate(order(samples)):
        sample_id = "joke-fruits-meta.dev.%d" % i
        at = "2026-12-06 11:35:%02d.%06d+00:00" % (1 + n, 200000 + 104729 * n % 800000)
        prompt = [{"role": "user", "content": "Is the following funny? \n\n" + samples[i]["completion"]
                   + "\n\nFirst, write out in a step by step manner your reasoning about each criterion to be sure "
                   "that your conclusion is correct. Avoid simply stating the correct answers at the outset. Then "
                   "print only the single character \"Yes\" or \"No\" or \"Unsure\" (without quotes or punctuation) "
                   "on its own line corresponding to the correct answer. At the end, repeat just the letter again by "
                   "itself on a new line.\n\nReasoning:"}]
        choice = choices[i]
        sampled = "It plays on a pun and a familiar setup.\n" + choice + "\n" + choice
        log.event(sample_id, "sampling", {"prompt": prompt, "sampled": [sampled], "model": "gpt-4o-mini-2024-07-18",
                                          "usage": {"completion_tokens": 14, "prompt_tokens": 96 + i,
                                                    "total_tokens": 110 + i}}, at)
        counts[choice] += 1
        meta_scores.append(choice == samples[i]["choice"])
        log.event(sample_id, "metrics", {"choice": choice, "score": scores[choice],
                                         "metascore": choice == samples[i]["choice"]}, at)
    report = {"counts/" + k: v for k, v in counts.items()}
    report["score"] = sum(scores[c] for c in choices.values()) / len(choices)
    report["metascore"] = sum(meta_scores) / len(meta_scores)
    log.final(report)


if __name__ == "__main__":
    corpus = "../../corpora/openai-evals-registry"
    fuzzy(corpus)
    meta(corpus)
