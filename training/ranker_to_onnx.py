#!/usr/bin/python3
"""Convert a Mixtape LambdaMART `ranker.json` into an ONNX model (ai.onnx.ml TreeEnsembleRegressor).

Run (Debian's onnx, not PyPI's: `apt-get update && apt-get install -y python3-onnx`; it installs
for /usr/bin/python3, which a pyenv or venv `python3` on PATH does not see):

    /usr/bin/python3 training/ranker_to_onnx.py path/to/ranker.json out/ranker.onnx

The model has one input `features`, float32 [N, F] (F = len(featureNames), 34 today), and one
output `score`, float32 [N, 1]. `npm run bench -- ranker` runs this script and checks that
onnxruntime's scores equal LambdaMart.predict's on the same rows.

What the TypeScript predict does, and so what this model must do
(src/models/ranker/lambdamart.ts, predictTree / predict; src/pipeline/ranking/ranker-file.ts):
- a node with feature -1 is a leaf; its `value` is the tree's output;
- otherwise go `left` when x[feature] <= threshold, else `right`. NaN compares false, so it goes
  right: BRANCH_LEQ with the true branch = left and no missing-value tracking does the same;
- the score is the plain sum of the trees' leaf values: the learning rate is already folded into
  every leaf value at training time and there is no base score, so base_values = [0], SUM, NONE.
Thresholds and leaf values are float32 in the TypeScript model (the JSON holds their exact
values), as are TreeEnsembleRegressor's attributes, so the splits are bit-identical; only the
summation differs (float64 in TypeScript, float32 in onnxruntime), a difference of ~1e-7.
"""
import json
import sys

import onnx
from onnx import TensorProto, helper

FORMAT = "mixtape-lambdamart"
FORMAT_VERSION = 1


def tree_attributes(trees):
    """The per-node and per-leaf attribute lists of TreeEnsembleRegressor for all trees."""
    a = {k: [] for k in (
        "nodes_treeids", "nodes_nodeids", "nodes_featureids", "nodes_values", "nodes_modes",
        "nodes_truenodeids", "nodes_falsenodeids",
        "target_treeids", "target_nodeids", "target_ids", "target_weights")}
    for t, tree in enumerate(trees):
        n = len(tree["feature"])
        if n == 0 or any(len(tree[k]) != n for k in ("threshold", "left", "right", "value")):
            raise ValueError(f"tree {t}: node arrays are empty or of different lengths")
        for node in range(n):
            feature = tree["feature"][node]
            a["nodes_treeids"].append(t)
            a["nodes_nodeids"].append(node)
            if feature < 0:
                a["nodes_modes"].append("LEAF")
                a["nodes_featureids"].append(0)
                a["nodes_values"].append(0.0)
                a["nodes_truenodeids"].append(0)
                a["nodes_falsenodeids"].append(0)
                a["target_treeids"].append(t)
                a["target_nodeids"].append(node)
                a["target_ids"].append(0)
                a["target_weights"].append(tree["value"][node])
                continue
            left, right = tree["left"][node], tree["right"][node]
            # Children come after their parent in the TS grower; anything else would be a
            # corrupt file (and could loop), so refuse it rather than convert it.
            if not (node < left < n and node < right < n):
                raise ValueError(f"tree {t} node {node}: children {left}/{right} out of range")
            a["nodes_modes"].append("BRANCH_LEQ")
            a["nodes_featureids"].append(feature)
            a["nodes_values"].append(tree["threshold"][node])
            a["nodes_truenodeids"].append(left)
            a["nodes_falsenodeids"].append(right)
    return a


def convert(ranker):
    if ranker.get("format") != FORMAT or ranker.get("version") != FORMAT_VERSION:
        raise ValueError(f"not a {FORMAT} v{FORMAT_VERSION} file")
    features = len(ranker["featureNames"])
    node = helper.make_node(
        "TreeEnsembleRegressor", ["features"], ["score"], domain="ai.onnx.ml",
        n_targets=1, aggregate_function="SUM", post_transform="NONE", base_values=[0.0],
        **tree_attributes(ranker["trees"]))
    graph = helper.make_graph(
        [node], "mixtape_lambdamart",
        [helper.make_tensor_value_info("features", TensorProto.FLOAT, ["N", features])],
        [helper.make_tensor_value_info("score", TensorProto.FLOAT, ["N", 1])])
    # ai.onnx.ml 3: the newest that onnx 1.12 (Debian 12) knows; from 5 on, TreeEnsemble replaces
    # this operator, which onnxruntime still runs under opset 3.
    model = helper.make_model(
        graph, producer_name="mixtape training/ranker_to_onnx.py",
        opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("ai.onnx.ml", 3)])
    onnx.checker.check_model(model, full_check=True)
    return model


def main(argv):
    if len(argv) != 3:
        print("usage: /usr/bin/python3 training/ranker_to_onnx.py RANKER_JSON OUT_ONNX", file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        ranker = json.load(f)
    model = convert(ranker)
    onnx.save(model, argv[2])
    leaves = sum(1 for tree in ranker["trees"] for j in tree["feature"] if j < 0)
    print(f"{argv[2]}: {len(ranker['trees'])} trees, {leaves} leaves, {len(ranker['featureNames'])} features")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
