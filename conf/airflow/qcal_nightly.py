"""Nightly qcal calibration of a fresh production dump, with the drift gate.

An example to copy and adapt (docs/nightly.md, "Scheduling / Nightly runs"). Each night's run writes
OUTPUT/run_id=<ds>/ and compares itself with the run OUTPUT/_LATEST names (yesterday's accepted
one); the first run ever has nothing to compare and just runs. qcal's exit codes decide what
Airflow does:

  0  accepted: the table is written and OUTPUT/_LATEST now names this run.
  1  unexpected (lost cluster, unwritable output): retried.
  2  configuration error, 3 input error: failed at once, no retry (the same inputs fail again).
  4  drift over the limit: the table, drift.json and summary.json ("status": "drift_exceeded") are
     written under OUTPUT/run_id=<ds>/, but OUTPUT/_LATEST was NOT moved, so consumers of the latest
     table keep yesterday's. The task fails at once (no retry: the same dump drifts the same way)
     and says where drift.json is. To accept the drifted table after review: set the Airflow
     Variable qcal_max_drift to a higher limit (e.g. 0.5), clear the task (it reruns the same run id,
     which replaces that run and moves _LATEST), then delete the Variable.

Requires apache-airflow-providers-apache-spark and a "spark_default" connection to the cluster.
"""

import re
from datetime import datetime, timedelta

from airflow import DAG
from airflow.exceptions import AirflowException, AirflowFailException
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

QCAL_JAR = "/opt/qcal/qcal-jobs-0.1.0-SNAPSHOT-spark.jar"  # mvn -DskipTests package: jobs/target/
DUMPS = "s3a://ml-dumps/resnet50/{{ ds }}/"                  # tonight's activation dump
OUTPUT = "s3a://ml-calibration/resnet50"                     # run_id=<ds>/ and _LATEST go here

# Exit codes that mean "the same command fails the same way again": no retry.
NOT_RETRIED = {2: "configuration error", 3: "input error", 4: "drift over the limit"}


class QcalSubmitOperator(SparkSubmitOperator):
    """spark-submit of qcal, failing without retries on qcal's deterministic exit codes."""

    def execute(self, context):
        try:
            return super().execute(context)
        except AirflowException as e:
            # SparkSubmitHook ends its message with "Error code is: <spark-submit's exit code>."
            m = re.search(r"Error code is: (\d+)", str(e))
            code = int(m.group(1)) if m else None
            if code == 4:
                run = f"{OUTPUT}/run_id={context['ds']}"
                raise AirflowFailException(
                    f"qcal drift gate (exit 4): the table is written under {run}/ but _LATEST was not"
                    f" moved; review {run}/drift.json, and to accept it set the Variable"
                    f" qcal_max_drift higher and clear this task"
                ) from e
            if code in NOT_RETRIED:
                raise AirflowFailException(f"qcal exit {code} ({NOT_RETRIED[code]}): {e}") from e
            raise  # exit 1 or a lost driver: let Airflow retry


with DAG(
    dag_id="qcal_nightly",
    start_date=datetime(2026, 11, 1),
    schedule="30 2 * * *",  # after the nightly dump lands
    catchup=False,  # a backfilled old date would move _LATEST back to it (last accepted run wins)
    max_active_runs=1,  # runs of one OUTPUT must not race for _LATEST
    params={"max_drift": "0.10"},
    default_args={"retries": 2, "retry_delay": timedelta(minutes=10)},
    tags=["qcal", "quantization"],
) as dag:
    calibrate = QcalSubmitOperator(
        task_id="calibrate",
        conn_id="spark_default",
        application=QCAL_JAR,
        java_class="dev.qcal.jobs.Main",
        # Client mode: spark-submit then exits with qcal's own code. In YARN/standalone cluster mode it
        # reports 1 for any failure; read OUTPUT/run_id=<ds>/summary.json's "status" there instead.
        deploy_mode="client",
        application_args=["calibrate"],
        name="qcal-nightly-{{ ds }}",
        # Every qcal flag is a spark.qcal.* key, so spark-submit carries them (docs/operating.md, "Configuration").
        conf={
            "spark.qcal.input": DUMPS,
            "spark.qcal.output": OUTPUT,
            "spark.qcal.run-id": "{{ ds }}",  # not {{ run_id }}: its ':' and '+' are refused
            "spark.qcal.baseline": "latest",  # the run OUTPUT/_LATEST names: the last accepted one
            "spark.qcal.max-drift": "{{ var.value.get('qcal_max_drift', params.max_drift) }}",
            "spark.qcal.methods": "entropy,percentile,mse,max",
            "spark.qcal.formats": "qcal-json,trt-cache,csv",
        },
    )
