#include "harness/plan.h"

#include "harness/file_names.h"

#include "tests/unit/test_support.h"

#include <gtest/gtest.h>

#include <string>

namespace sciperf {
namespace {

Config parse(const std::string& yaml) { return parse_config(yaml, "study.yaml", testing::builtin_registry()); }

const PlanPaths kPaths{"/opt/sciperf/bin/sciperf", "/home/me/study.yaml", "/scratch/me/results"};

TEST(SlurmPlan, OneScriptPerClusterConfigurationAndASubmitScript) {
  const Config config = parse(
      "name: study\nsystem:\n  nodes: [1, 4]\n  ranks_per_node: 8\n  devices_per_rank: 1\n  threads_per_rank: 6\n"
      "  launcher: {type: srun, batch_args: [--account=proj1]}\nsuites:\n  - suite: selftest\n");
  const auto scripts = slurm_scripts(config, kPaths);
  ASSERT_EQ(scripts.size(), 3u);
  EXPECT_EQ(scripts[0].file_name, "study-n1-r8-g1-t6.sbatch");
  EXPECT_EQ(scripts[1].file_name, "study-n4-r8-g1-t6.sbatch");
  EXPECT_EQ(scripts[2].file_name, "submit-all.sh");
  const std::string& text = scripts[1].text;
  for (const char* line : {"#SBATCH --job-name=study-n4-r8-g1-t6\n", "#SBATCH --nodes=4\n", "#SBATCH --ntasks-per-node=8\n",
                           "#SBATCH --cpus-per-task=6\n", "#SBATCH --gpus-per-task=1\n", "#SBATCH --account=proj1\n",
                           "#SBATCH --output=/scratch/me/results/study-n4-r8-g1-t6-%j.out\n",
                           "exec /opt/sciperf/bin/sciperf run -c /home/me/study.yaml --cluster n4-r8-g1-t6 -o "
                           "/scratch/me/results/study-n4-r8-g1-t6-\"${SLURM_JOB_ID}\" --progress plain\n"})
    EXPECT_NE(text.find(line), std::string::npos) << "missing: " << line << "\nin:\n" << text;
  EXPECT_NE(scripts[2].text.find("sbatch study-n1-r8-g1-t6.sbatch\nsbatch study-n4-r8-g1-t6.sbatch\n"), std::string::npos)
      << scripts[2].text;
}

TEST(SlurmPlan, NoGpuLineWithoutGpus) {
  const Config config = parse("system: {nodes: 2}\nsuites:\n  - suite: selftest\n");
  EXPECT_EQ(slurm_scripts(config, kPaths)[0].text.find("--gpus-per-task"), std::string::npos);
}

TEST(SlurmPlan, HostilePathsStayOneShellWord) {
  const Config config = parse("name: x\nsuites:\n  - suite: selftest\n");
  const PlanPaths paths{"/opt/my tools/sciperf", "/home/me/a'b;rm -rf ~.yaml", "/scratch/r"};
  const std::string text = slurm_scripts(config, paths)[0].text;
  EXPECT_NE(text.find("exec '/opt/my tools/sciperf' run -c '/home/me/a'\\''b;rm -rf ~.yaml'"), std::string::npos) << text;
}

TEST(SlurmPlan, ABatchArgumentWithALineBreakIsRefused) {
  const Config config =
      parse("system:\n  launcher: {batch_args: [\"--time=1:00:00\\nrm -rf ~\"]}\nsuites:\n  - suite: selftest\n");
  EXPECT_THROW(slurm_scripts(config, kPaths), std::invalid_argument);
}

TEST(SlurmPlan, JobNamesKeepOnlyPlainCharacters) {
  const Config config = parse("name: \"my study/v2 $(x)\"\nsuites:\n  - suite: selftest\n");
  EXPECT_EQ(slurm_scripts(config, kPaths)[0].file_name, "my_study_v2___x_-n1-r1-g0-t1.sbatch");
}

}  // namespace
TEST(FileSafeName, NamesFromConfigsCannotLeaveTheirDirectory) {
  EXPECT_EQ(file_safe_name("../../etc/passwd"), "_._.._etc_passwd");
  EXPECT_EQ(file_safe_name("/abs"), "_abs");
  EXPECT_EQ(file_safe_name(".hidden"), "_hidden");
  EXPECT_EQ(file_safe_name(""), "sciperf");
  EXPECT_EQ(file_safe_name("local-2.x_y"), "local-2.x_y");
}

}  // namespace sciperf
