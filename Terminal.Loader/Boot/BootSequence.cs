namespace Terminal.Loader.Boot
{
    /// <summary>
    /// What the flashed program does at power-on (docs/ota.md, "The switch"): asks <see cref="BootSelector"/> which
    /// version to boot, reads its <see cref="LoadList"/>, loads its files and calls its entry point, which runs the
    /// terminal and normally never returns. When a candidate on trial cannot be loaded or started, or its entry
    /// point throws, the candidate is rolled back (the reason kept for the heartbeat) before the exception goes on;
    /// the device binding then restarts, and the next boot starts the known version. A version once loaded cannot
    /// be unloaded, hence the restart.
    /// </summary>
    public static class BootSequence
    {
        /// <summary>Boots; returns only when the application's entry point returned (the binding then restarts).</summary>
        public static void Run(BootSelector selector, IAppFiles files)
        {
            string version = selector.ChooseAtBoot();
            try
            {
                LoadList list = LoadList.Parse(files.ReadAll(version, LoadList.FileName));
                System.Reflection.Assembly app = AppLoader.LoadAll(files, version, list.Files);
                AppLoader.Invoke(app, list.EntryType, list.EntryMethod);
            }
            catch (System.Exception e)
            {
                BootState s = selector.State;
                if (s.OnTrial && s.Candidate == version)
                {
                    selector.RollBack("start failed: " + e.GetType().Name + " " + e.Message);
                }

                throw;
            }
        }
    }
}
